# test_pathological: inputs made to find quadratic code (a million nested
# elements, a million table cells or one-line paragraphs, a 100 MB line,
# 50,000 chapters) cost at most about ten times the time and memory of a
# tenth of them (pathological.py).  The sanitizer build runs a tenth of
# the sizes.
set(pathological_scale 1)
if(QUIRE_SANITIZE)
  set(pathological_scale 0.1)
endif()
add_test(NAME test_pathological
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/pathological.py
                 $<TARGET_FILE:quire-cli> --scale ${pathological_scale})
set_tests_properties(test_pathological PROPERTIES TIMEOUT 600
                     SKIP_RETURN_CODE 77)
