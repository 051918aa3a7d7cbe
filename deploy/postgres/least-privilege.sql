-- Roles of a production database (run once, as a superuser or the cloud "admin" role, with psql):
--
--   psql "postgresql://postgres@db-host/postgres" -v ON_ERROR_STOP=1 \
--     -v db_name=erni -v owner_role=erni_owner -v app_role=erni_app \
--     -v owner_password="$(cat secrets/db_owner_password)" -v app_password="$(cat secrets/db_app_password)" \
--     -f deploy/postgres/least-privilege.sql
--
-- owner_role owns the schema: `erni-agents migrate`, `seed-demo`, backups and data-deletion requests
-- run as this role. app_role is what the running service uses (DATABASE_URL): it may read, insert
-- and update rows, and nothing else: no DDL, no DELETE (the service never deletes; bookings are
-- cancelled, conversation items are append-only). The database must already exist
-- (CREATE DATABASE erni;). Passwords: at least 16 characters, e.g. `openssl rand -hex 32`.

CREATE ROLE :"owner_role" LOGIN PASSWORD :'owner_password';
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';

ALTER DATABASE :"db_name" OWNER TO :"owner_role";
-- The service also sets UTC on every connection; this covers psql sessions and other tools.
ALTER DATABASE :"db_name" SET timezone TO 'UTC';
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db_name" TO :"app_role";

\connect :"db_name"

ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";

-- Tables and sequences the migrations create later (as owner_role) ...
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
-- ... and those that already exist (when the roles are added to a migrated database).
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
