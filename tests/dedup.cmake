# The dedup transform (issue 18, near-duplicates).  test_dedup: signatures
# and the index through their plain C interface.  dedup_memory: bytes per
# kept document (run by hand with 1000000; ctest with 20000 and a ceiling).
# test_dedup_corpus (tests/dedup_check.py): a synthetic corpus with known
# near-copies (scripts/dedup-corpus), precision and recall of what quire
# --dedup drops against the exact Jaccard similarity, the originals the
# report names, and the same output and report with -j1 and -j2.
quire_test(test_dedup test_dedup.c)
target_link_libraries(test_dedup PRIVATE quire_dedup)

add_executable(dedup_memory dedup_memory.c)
set_target_properties(dedup_memory PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
target_link_libraries(dedup_memory PRIVATE quire_dedup)
add_test(NAME test_dedup_memory COMMAND dedup_memory 20000 700)

add_test(NAME test_dedup_corpus
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/dedup_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_dedup_corpus PROPERTIES TIMEOUT 300)
