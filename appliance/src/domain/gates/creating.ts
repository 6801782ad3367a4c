/**
 * Actions that bring a new IMVU into this appliance: `imvu.create` makes one, `imvu.import`
 * re-instantiates one from an exit bundle. For both the IMVU does not exist yet, so the gates
 * judge the request's own owner, jurisdiction, consents and pool instead of a stored record.
 */
const CREATING: ReadonlySet<string> = new Set(['imvu.create', 'imvu.import']);

/** True when `action` brings a new IMVU (created or imported) into this appliance. */
export function createsImvu(action: string): boolean {
  return CREATING.has(action);
}
