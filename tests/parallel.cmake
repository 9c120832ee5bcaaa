# test_parallel: quire --stream as a stage of GNU parallel
# (tests/parallel_check.sh): `parallel --pipe --block 1M --keep-order -j2`
# over a ~25 MB JSONL corpus gives the bytes of one -j1 process.  Skips
# (77) without GNU parallel.
add_test(NAME test_parallel
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/parallel_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_parallel PROPERTIES
                     SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS parallel)
