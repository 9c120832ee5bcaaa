# test_peers: quire over the peer suites beside the repository
# (../shared/peers/: JSONTestSuite, html5lib-tests tree-construction
# inputs, the W3C and epubcheck EPUBs, the hostile archives, and the
# CommonMark spec examples when a markdown reader exists): no crash, hang,
# sanitizer report or undocumented exit status, errors naming their file,
# and the accept/reject each suite expects.  A deterministic sample in CI;
# QUIRE_PEERS_FULL=1 runs every file.  Skips without ../shared/peers.
# See peers_check.py.
add_test(NAME test_peers
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/peers_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_peers PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 600)
