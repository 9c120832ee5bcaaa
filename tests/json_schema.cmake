# test_json_schema: quire's JSON output (plugins/json/) against its JSON
# Schema, docs/schema/quire-document-1.schema.json, with scripts/validate-json
# (python3-jsonschema): the corpus and every test input converted to json
# and jsonl, and the schema itself on the hand-made documents of
# tests/data/json/.  Skips without python3-jsonschema or the json plugin.
# See json_schema_check.sh.
add_test(NAME test_json_schema
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/json_schema_check.sh
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(test_json_schema PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  SKIP_RETURN_CODE 77
  TIMEOUT 1200)
