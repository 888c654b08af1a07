wb_add_bench(bench_families SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_families.cc LIBS wb_kinship wb_io)
