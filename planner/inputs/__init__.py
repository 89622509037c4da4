"""Reading the learner's files: YAML into models (`loading`), prerequisites into a DAG
(`graph`)."""
