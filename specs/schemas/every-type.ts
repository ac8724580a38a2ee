/** A schema with every column kind the derived generator supports (specs/derived-fixtures.test.ts). */
import { sql } from 'drizzle-orm';
import {
  bigint, boolean, char, check, date, doublePrecision, index, integer, json, jsonb, numeric, pgEnum, pgTable, primaryKey, real, serial, smallint, text, timestamp, unique, uuid, varchar,
} from 'drizzle-orm/pg-core';

export const mood = pgEnum('mood', ['calm', 'busy', 'loud']);

export const parents = pgTable('parents', {
  id: serial('id').primaryKey(),
  code: varchar('code', { length: 8 }).notNull().unique(),
  label: char('label', { length: 3 }).notNull(),
});

export const everything = pgTable(
  'everything',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer('parent_id').notNull().references(() => parents.id),
    previousId: bigint('previous_id', { mode: 'number' }).references((): any => everything.id),
    small: smallint('small').notNull(),
    big: bigint('big', { mode: 'number' }),
    amount: numeric('amount', { precision: 6, scale: 3 }).notNull(),
    ratio: real('ratio'),
    score: doublePrecision('score').notNull(),
    flag: boolean('flag').notNull(),
    day: date('day').notNull(),
    at: timestamp('at').notNull(),
    atZone: timestamp('at_zone', { withTimezone: true }),
    feeling: mood('feeling').notNull(),
    token: uuid('token').notNull().unique(),
    doc: json('doc'),
    docb: jsonb('docb').notNull(),
    tags: text('tags').array().notNull(),
    counts: integer('counts').array(),
    email: text('email').notNull().unique(),
    twice: integer('twice').generatedAlwaysAs(sql`small * 2`),
    rating: integer('rating').notNull(),
    kind: text('kind').notNull(),
  },
  (t) => [
    check('everything_rating', sql`${t.rating} between 1 and 5`),
    check('everything_kind', sql`${t.kind} in ('a', 'b', 'it''s')`),
    check('everything_small', sql`${t.small} >= 10 and ${t.small} < 20`),
    index('everything_parent_idx').on(t.parentId),
  ],
);

export const pairs = pgTable(
  'pairs',
  {
    parentId: integer('parent_id').notNull().references(() => parents.id),
    everythingId: bigint('everything_id', { mode: 'number' }).notNull().references(() => everything.id),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.parentId, t.everythingId] }), unique('pairs_note_unique').on(t.note)],
);
