# The HTML reader in Model 2: attributes, spans, figures, definition lists,
# line blocks, rich tables, math, notes, and images read as resources
# (with the refusals that keep a page from pulling in other files).
quire_test(test_html_model test_html_model.c session_fixture.c run_cmd.c
           test_files.c)
add_dependencies(test_html_model quire-cli plugin_html plugin_json)
