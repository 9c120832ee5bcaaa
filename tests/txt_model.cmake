# The txt writer on trees built in memory holding every node type of the
# model, handed to the core by the test reader doc-feed (loader.cmake, which
# defines quire_loader_test_plugin, comes first).
quire_loader_test_plugin(doc_feed plugins/doc_feed.c)
quire_test(test_txt_model test_txt_model.c session_fixture.c)
add_dependencies(test_txt_model loader_plugin_doc_feed plugin_txt)
