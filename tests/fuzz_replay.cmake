# The fuzz targets' short run: each replays the inputs the tests and the
# peer suites hold for its format (scripts/fuzz runs the long campaigns).
set(QUIRE_PEERS ${PROJECT_SOURCE_DIR}/../shared/peers)
set(QUIRE_FUZZ_SEEDS_txt ${PROJECT_SOURCE_DIR}/corpus
    ${PROJECT_SOURCE_DIR}/tests/data/text
    ${PROJECT_SOURCE_DIR}/tests/data/fuzz/txt)
set(QUIRE_FUZZ_SEEDS_html ${PROJECT_SOURCE_DIR}/tests/data/html
    ${PROJECT_SOURCE_DIR}/tests/data/fuzz/html
    ${QUIRE_PEERS}/html5lib-tests/tree-construction)
# Every input a campaign found a bug with is kept in tests/data/fuzz/FORMAT.
set(QUIRE_FUZZ_SEEDS_xhtml ${PROJECT_SOURCE_DIR}/tests/data/html)
set(QUIRE_FUZZ_SEEDS_epub ${PROJECT_SOURCE_DIR}/tests/data/fuzz/epub
    ${QUIRE_PEERS}/pandoc/epub)
set(QUIRE_FUZZ_SEEDS_json ${PROJECT_SOURCE_DIR}/tests/data/json
    ${QUIRE_PEERS}/jsontestsuite/test_parsing)
set(QUIRE_FUZZ_SEEDS_jsonl ${PROJECT_SOURCE_DIR}/tests/data/json)
set(QUIRE_FUZZ_SEEDS_pandoc-json ${PROJECT_SOURCE_DIR}/tests/data/pandoc)
set(QUIRE_FUZZ_SEEDS_archive ${PROJECT_SOURCE_DIR}/tests/data/archive
    ${QUIRE_PEERS}/malicious-archives)
set(QUIRE_FUZZ_SEEDS_warc ${PROJECT_SOURCE_DIR}/tests/data/archive)
# Markdown: the test inputs and the CommonMark spec (its text is Markdown).
set(QUIRE_FUZZ_SEEDS_md ${PROJECT_SOURCE_DIR}/tests/data/md
    ${PROJECT_SOURCE_DIR}/tests/data/fuzz/md
    ${QUIRE_PEERS}/commonmark-spec)
set(QUIRE_FUZZ_SEEDS_gfm ${QUIRE_FUZZ_SEEDS_md})
foreach(format txt html xhtml epub json jsonl pandoc-json archive warc md gfm)
  add_test(NAME fuzz_replay_${format}
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_replay.sh
                   $<TARGET_FILE:fuzz_${format}> ${QUIRE_FUZZ_SEEDS_${format}})
  set_tests_properties(fuzz_replay_${format} PROPERTIES
    SKIP_RETURN_CODE 77 LABELS fuzz)
endforeach()
