wb_add_bench(bench_screen SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_screen.cc LIBS wb_kinship wb_io)
