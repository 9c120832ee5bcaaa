# test_valgrind: one conversion per reader and writer under valgrind's
# memcheck (valgrind_check.sh); label valgrind.  Not in a sanitizer build,
# where valgrind cannot run.
if(NOT QUIRE_SANITIZE)
  add_test(NAME test_valgrind
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/valgrind_check.sh
                   $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_valgrind PROPERTIES
    LABELS valgrind SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
