#!/bin/bash
# Creates the shop database, a read-only and a read-write role for Warden, and a little sample data.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<-SQL
  CREATE DATABASE shop;
  CREATE ROLE warden_ro LOGIN PASSWORD '${WARDEN_RO_PASSWORD}';
  CREATE ROLE warden_rw LOGIN PASSWORD '${WARDEN_RW_PASSWORD}';
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname shop <<-'SQL'
  CREATE TABLE customers (id serial PRIMARY KEY, full_name text NOT NULL, email text NOT NULL, ssn text);
  CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2), status text);
  INSERT INTO customers (full_name, email, ssn) VALUES
    ('Ada Example', 'ada@example.com', '078-05-1120'), ('Bob Example', 'bob@example.com', '219-09-9999');
  INSERT INTO orders (customer_id, total, status) VALUES (1, 42.00, 'new'), (2, 7.50, 'shipped');
  GRANT USAGE ON SCHEMA public TO warden_ro, warden_rw;
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO warden_ro;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO warden_rw;
  GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO warden_rw;
SQL
