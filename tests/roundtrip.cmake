# test_roundtrip: the corpus and test inputs keep every word through every
# pair of formats quire reads and writes.  See roundtrip_check.py.
add_test(NAME test_roundtrip
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/roundtrip_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_roundtrip PROPERTIES TIMEOUT 600)
