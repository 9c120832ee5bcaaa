# test_jobs: -j N writes the same bytes, messages and exit status as -j1,
# in every format (tests/jobs_check.py).  Labelled threads, so scripts/test
# runs it from the ThreadSanitizer build too.
add_test(NAME test_jobs
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/jobs_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/jobs-work)
set_tests_properties(test_jobs PROPERTIES TIMEOUT 600 LABELS threads)
