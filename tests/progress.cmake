# test_progress: long runs show a progress line on a terminal (a real
# pseudo-terminal), redrawn in place and erased at the end, with the same
# output as without one, and messages never mixed with it; nothing on a
# pipe, with -q, with the output to the terminal, or for a short run.
# Skips when no pseudo-terminal can be made.  See progress_check.py.
add_test(NAME test_progress
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/progress_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_progress PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 300)
