# test_bundle: `quire bundle` makes a valid BagIt bag (checked by
# bundle_check.sh with tar, unzip and coreutils' sha256sum/sha512sum, not
# with quire's own code), keeps every source byte for byte, normalizes every
# document, records its provenance, and is byte-identical run after run
# under SOURCE_DATE_EPOCH.
add_test(NAME test_bundle
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/bundle_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_bundle PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 600)
