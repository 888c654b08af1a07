wb_add_bench(bench_registry SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_registry.cc
             LIBS wb_registry wb_store)
