/** Two tables that reference each other (specs/circular-foreign-keys.test.ts): a team's captain is a player, a player's team a team. */
import { integer, pgTable, serial, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const teams = pgTable('teams', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  captainId: integer('captain_id').references((): AnyPgColumn => players.id),
});

export const players = pgTable('players', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  teamId: integer('team_id').notNull().references((): AnyPgColumn => teams.id),
});
