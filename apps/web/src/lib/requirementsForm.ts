import { NodeRequirements, RESOURCE_TYPE_NAMES, parsePrice } from '@taskmarket/core'
import { type FormErrors, formChecks } from './formChecks.ts'

/** What a compute task asks of its nodes, as typed in the form's "Node requirements"; every one optional. */
export type RequirementsFormValues = {
  /** Empty: any provider type. */
  resourceType: '' | (typeof RESOURCE_TYPE_NAMES)[number]
  /** Comma separated, e.g. "eu-west, us-east". */
  regions: string
  /** Tokens per unit of the resource type's earnings model. */
  maxPrice: string
  /** Percent of the time a node was seen online, e.g. "99.5". */
  minUptime: string
  /** NodeRegistry's verified power (from proof-of-work solve times), a whole number. */
  minPower: string
}

export function defaultRequirementsForm(): RequirementsFormValues {
  return { resourceType: '', regions: '', maxPrice: '', minUptime: '', minPower: '' }
}

type RegionsSchema = { maxItems: number; items: { pattern: string } }
const regionsSchema = (NodeRequirements as unknown as { properties: { regions: RegionsSchema } }).properties.regions
const REGION = new RegExp(regionsSchema.items.pattern)

/**
 * Checks the typed requirements and builds the API's `requirements`, recording each problem under the key the
 * API names it by ("requirements.regions"); undefined when nothing is asked.
 * @example requirementsOf({ resourceType: 'cpu', regions: 'eu-west', maxPrice: '', minUptime: '99' }, {}) // { resource_type: 'cpu', regions: ['eu-west'], min_uptime_bps: 9900 }
 */
export function requirementsOf(v: RequirementsFormValues, errors: FormErrors): NodeRequirements | undefined {
  const own: FormErrors = {}
  const out: NodeRequirements = {}
  if (v.resourceType) out.resource_type = v.resourceType

  // Region names are lowercase on the wire; "EU-West" means eu-west.
  const regions = [...new Set(v.regions.split(',').map((r) => r.trim().toLowerCase()).filter(Boolean))]
  const bad = regions.find((r) => !REGION.test(r))
  if (bad) own['requirements.regions'] = `“${bad}” is not a region name: lowercase letters, digits and dashes, at most 32`
  else if (regions.length > regionsSchema.maxItems) own['requirements.regions'] = `At most ${regionsSchema.maxItems} regions`
  else if (regions.length > 0) out.regions = regions

  const price = v.maxPrice.trim()
  if (price) {
    try {
      parsePrice(price, 'requirements.max_price_per_unit')
      out.max_price_per_unit = price
    } catch {
      own['requirements.max_price_per_unit'] = 'A token amount such as 0.5 or 0 (at most 18 decimals)'
    }
  }

  const uptime = v.minUptime.trim()
  if (uptime) {
    const pct = Number(uptime)
    if (!Number.isFinite(pct) || pct < 0 || pct > 100) own['requirements.min_uptime_bps'] = 'A percentage from 0 to 100'
    else out.min_uptime_bps = Math.round(pct * 100)
  }

  const power = v.minPower.trim()
  if (power) {
    if (!/^[0-9]{1,30}$/.test(power)) own['requirements.min_verified_power'] = 'A whole number of at most 30 digits'
    else out.min_verified_power = power
  }

  // The shared wire schema has the last word, should it ever be stricter than the checks above.
  if (Object.keys(own).length === 0) formChecks(own).schema(NodeRequirements, out, 'requirements')
  for (const [key, message] of Object.entries(own)) errors[requirementsField(key)] = message
  return Object.keys(own).length === 0 && Object.keys(out).length > 0 ? out : undefined
}

/**
 * The form's key for a field the API names inside `requirements`: one input holds every region.
 * @example requirementsField('requirements.regions.2') // 'requirements.regions'
 */
export function requirementsField(field: string): string {
  return field.startsWith('requirements.regions.') ? 'requirements.regions' : field
}
