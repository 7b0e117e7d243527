"""searchkit on an OpenSearch cluster: mapping, query compiler, client, writer and engine."""
