wb_add_bench(bench_duplicates SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_duplicates.cc
             LIBS wb_registry)
