-- db-scheduler's table (its H2 DDL), under the engine's prefix.
CREATE TABLE sm_scheduled_tasks (
  task_name            VARCHAR(100) NOT NULL,
  task_instance        VARCHAR(256) NOT NULL,
  task_data            BLOB,
  execution_time       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  picked               BOOLEAN NOT NULL,
  picked_by            VARCHAR(50),
  last_success         TIMESTAMP(6) WITH TIME ZONE,
  last_failure         TIMESTAMP(6) WITH TIME ZONE,
  consecutive_failures INT,
  last_heartbeat       TIMESTAMP(6) WITH TIME ZONE,
  version              BIGINT NOT NULL,
  priority             SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX sm_sched_execution_time_idx ON sm_scheduled_tasks (execution_time);
CREATE INDEX sm_sched_last_heartbeat_idx ON sm_scheduled_tasks (last_heartbeat);
CREATE INDEX sm_sched_priority_time_idx ON sm_scheduled_tasks (priority DESC, execution_time ASC);
