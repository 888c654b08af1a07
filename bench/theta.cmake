wb_add_bench(bench_theta SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_theta.cc LIBS wb_kinship)
target_include_directories(bench_theta PRIVATE ${CMAKE_SOURCE_DIR}/tests)
