"""The registry: model versions, training jobs and artifacts. The only layer that
talks to the database."""
