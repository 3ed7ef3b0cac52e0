"""create registry tables

Revision ID: 0001
Revises:
Create Date: 2026-12-04 16:02:16.179288
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import failsight.registry.tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("active_version", sa.Integer(), nullable=True),
        sa.Column("last_version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "training_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("model_name", sa.String(length=63), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("estimator", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("activate", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=256), nullable=False),
        sa.Column("owner_pid", sa.Integer(), nullable=False),
        sa.Column("runner_pid", sa.Integer(), nullable=True),
        sa.Column("artifact_path", sa.String(length=512), nullable=True),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column(
            "created_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "started_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "finished_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("training_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_jobs_model_name"), ["model_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_jobs_status"), ["status"], unique=False
        )

    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("model_name", sa.String(length=63), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("estimator", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("feature_names", sa.JSON(), nullable=False),
        sa.Column("dropped_features", sa.JSON(), nullable=False),
        sa.Column("unit_column", sa.String(length=256), nullable=True),
        sa.Column("age_column", sa.String(length=256), nullable=True),
        sa.Column("target", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=True),
        sa.Column("refitted", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("test_fraction", sa.Double(), nullable=False),
        sa.Column("data_sha256", sa.String(length=64), nullable=False),
        sa.Column("artifact_path", sa.String(length=512), nullable=False),
        sa.Column("artifact_sha256", sa.String(length=64), nullable=False),
        sa.Column("artifact_bytes", sa.Integer(), nullable=False),
        sa.Column("library_versions", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            failsight.registry.tables.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["model_name"], ["models.name"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_name", "number"),
    )
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_model_versions_model_name"), ["model_name"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_versions_model_name"))

    op.drop_table("model_versions")
    with op.batch_alter_table("training_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_training_jobs_model_name"))

    op.drop_table("training_jobs")
    op.drop_table("models")
