# test_disk_full: a full disk gives a clean error and no partial output
# (tests/disk_full_check.sh).
add_test(NAME test_disk_full
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/disk_full_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_disk_full PROPERTIES LABELS faults)
