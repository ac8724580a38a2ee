/** Built-in types beyond numbers, text and dates, and citext (specs/core-type-fixtures.test.ts): unique, nullable, arrays. */
import { bit, cidr, customType, inet, integer, interval, line, macaddr, macaddr8, pgTable, point, serial, text, time } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const citext = customType<{ data: string }>({ dataType: () => 'citext' });

export const hosts = pgTable('hosts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  ip: inet('ip').notNull().unique(),
  net: cidr('net').notNull().unique(),
  mac: macaddr('mac').notNull().unique(),
  mac8: macaddr8('mac8'),
  email: citext('email').notNull().unique(),
  aliases: inet('aliases').array(),
});

export const visits = pgTable('visits', {
  id: serial('id').primaryKey(),
  hostId: integer('host_id').notNull().references(() => hosts.id),
  opensAt: time('opens_at').notNull().unique(),
  closesAt: time('closes_at', { withTimezone: true }),
  wait: interval('wait').notNull(),
  term: interval('term', { fields: 'year to month' }),
  body: bytea('body').notNull().unique(),
  spot: point('spot').notNull(),
  edge: line('edge'),
  flags: bit('flags', { dimensions: 5 }).notNull(),
});
