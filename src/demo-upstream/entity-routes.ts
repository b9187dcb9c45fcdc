/** Thin adapters from the entity routes to the catalog, search, record writes and commands. */
import type { Request, Response } from 'express';
import { notFound } from './api-error.js';
import { currentAccount } from './authenticate.js';
import { CATALOG, findCatalogEntry, toEntityType, type CatalogEntry } from './catalog.js';
import { runCommand } from './commands.js';
import type { DemoContext } from './context.js';
import { canSee } from './permissions.js';
import { createRecord, deleteRecord, loadVisibleRecord, updateRecord } from './record-writes.js';
import { parseSearch, runSearch } from './search.js';

function entryOf(req: Request): CatalogEntry {
  const type = String(req.params.type);
  const entry = findCatalogEntry(type);
  if (!entry) throw notFound(`There is no entity type '${type}'.`);
  return entry;
}

const idOf = (req: Request): string => String(req.params.id);

export function listEntities(_req: Request, res: Response): void {
  res.json(CATALOG.map(({ type, title, description }) => ({ type, title, description })));
}

export function describeEntity(req: Request, res: Response): void {
  res.json(toEntityType(entryOf(req)));
}

export function createEntityHandlers(ctx: DemoContext) {
  return {
    search(req: Request, res: Response): void {
      const entry = entryOf(req);
      const account = currentAccount(res);
      const search = parseSearch(entry, req.body);
      res.json(runSearch(entry, ctx.store.all(entry.type), search, (record) => canSee(account, entry, record)));
    },
    get(req: Request, res: Response): void {
      res.json(loadVisibleRecord(ctx, currentAccount(res), entryOf(req), idOf(req)));
    },
    create(req: Request, res: Response): void {
      res.status(201).json(createRecord(ctx, currentAccount(res), entryOf(req), req.body));
    },
    update(req: Request, res: Response): void {
      res.json(updateRecord(ctx, currentAccount(res), entryOf(req), idOf(req), req.body));
    },
    remove(req: Request, res: Response): void {
      deleteRecord(ctx, currentAccount(res), entryOf(req), idOf(req));
      res.status(204).end();
    },
    command(req: Request, res: Response): void {
      const outcome = runCommand(ctx, currentAccount(res), entryOf(req), idOf(req), String(req.params.command), req.body);
      res.json(outcome);
    },
  };
}
