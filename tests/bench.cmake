# test_bench_smoke: the benchmark's smoke run (scripts/bench --smoke): every
# quire conversion it measures runs on a 1 MB synthetic corpus, writes
# something, and gives the same bytes at -j1 and -j2.  Its corpus is kept
# under the build tree.  Skips (77) only without GNU time (/usr/bin/time).
add_test(NAME test_bench_smoke
         COMMAND python3 ${PROJECT_SOURCE_DIR}/scripts/bench --smoke
                 --build ${PROJECT_BINARY_DIR}
                 --work ${CMAKE_CURRENT_BINARY_DIR}/bench-work)
set_tests_properties(test_bench_smoke PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 300)
