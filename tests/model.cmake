# The document model: documents, nodes, metadata and the tree iterator.
quire_test(test_model test_model.c)
