/**
 * A multi-tenant schema schemabench's workloads do not have (specs/derived-consistency.test.ts):
 * users are unique per tenant by email, a project belongs to a tenant and is owned by one of
 * its users and has members (a junction), an event happens in a project, optionally by a
 * user of the same tenant.
 * Written the way a team writes it, with no fixtures code: every row is derived. Composite
 * keys: users are unique by (tenant_id, email), a project's (tenant_id, owner_id) is a user's (tenant_id, id).
 */
import { foreignKey, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique, varchar, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const tenants = pgTable('tenants', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  plan: varchar('plan', { length: 16 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: varchar('role', { length: 16 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('users_tenant_email_key').on(t.tenantId, t.email), unique('users_tenant_id_key').on(t.tenantId, t.id)],
);

export const projects = pgTable(
  'projects',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull().references(() => tenants.id),
    ownerId: integer('owner_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The owner's tenant is the project's, also as a composite foreign key the server checks.
  (t) => [
    index('projects_tenant_idx').on(t.tenantId),
    foreignKey({ name: 'projects_owner_in_tenant_fk', columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id as AnyPgColumn] }),
  ],
);

export const projectMembers = pgTable(
  'project_members',
  {
    projectId: integer('project_id').notNull().references(() => projects.id),
    userId: integer('user_id').notNull().references(() => users.id),
    role: varchar('role', { length: 16 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

export const events = pgTable(
  'events',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id').notNull().references(() => projects.id),
    actorId: integer('actor_id').references(() => users.id),
    kind: varchar('kind', { length: 32 }).notNull(),
    status: text('status').notNull(),
    currency: varchar('currency', { length: 3 }).notNull(),
    tags: text('tags').array().notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('events_project_idx').on(t.projectId)],
);
