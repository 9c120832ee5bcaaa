# The txt reader refuses bytes that are not text unless -f txt names it.
quire_test(test_txt_junk test_txt_junk.c run_cmd.c test_files.c)
add_dependencies(test_txt_junk quire-cli plugin_txt)
