# test_tmpdir: temporary files go where $TMPDIR says (tests/tmpdir_check.sh).
add_test(NAME test_tmpdir
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tmpdir_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_tmpdir PROPERTIES LABELS faults)
