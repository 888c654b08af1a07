wb_add_bench(bench_kinship SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_kinship.cc LIBS wb_kinship wb_io)
