# test_json_suite: the json reader (plugins/json/) on every file of
# JSONTestSuite's test_parsing/ (../shared/peers/jsontestsuite/), as
# docs/formats/json.md ("Strictness") says: n_* refused with a line and a
# column and no output, y_* read without a syntax error, i_* without a
# crash, each within 10 seconds.  Skips without the suite or the plugin.
# See json_suite_check.sh.
add_test(NAME test_json_suite
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/json_suite_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_json_suite PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 900)
