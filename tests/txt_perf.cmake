# test_txt_perf_memory: a large text is held once by the txt reader
# (tests/txt_perf_check.sh).  Under a sanitizer memory says nothing of
# quire's own: not run.
if(NOT QUIRE_SANITIZE AND NOT QUIRE_TSAN)
  add_test(NAME test_txt_perf_memory
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/txt_perf_check.sh
                   ${PROJECT_BINARY_DIR}/bin/quire ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_txt_perf_memory PROPERTIES
    TIMEOUT 300 SKIP_RETURN_CODE 77)
endif()
