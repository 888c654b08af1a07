# Issue 9's benchmarks (docs/identify.md, "Benchmarks of the joint model"): 10^4 households at scale
# against the same input pairwise only, and every model combination on the default scenario.
wb_add_bench(bench_identify_scale SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bench_identify_scale.cc LIBS wb_kinship wb_io)
