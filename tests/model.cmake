# The document model: documents, nodes, metadata and the tree iterator.
quire_test(test_model test_model.c)
quire_test(test_model2 test_model2.c)
