wb_add_bench(bench_writers SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_writers.cc
             LIBS wb_registry wb_store)
