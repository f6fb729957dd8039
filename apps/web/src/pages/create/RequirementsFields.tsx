import { RESOURCE_TYPES, RESOURCE_TYPE_NAMES } from '@taskmarket/core'
import { useState } from 'react'
import { Field } from '../../components/Field.tsx'
import { SYMBOL } from '../../lib/format.ts'
import type { RequirementsFormValues } from '../../lib/requirementsForm.ts'
import type { FormErrors } from '../../lib/taskForm.ts'

type Props = { values: RequirementsFormValues; errors: FormErrors; set: (patch: Partial<RequirementsFormValues>) => void }

/** What a compute task asks of its nodes, folded away until wanted; it opens by itself to show an error. */
export function RequirementsFields({ values: v, errors, set }: Props) {
  const [open, setOpen] = useState(false)
  const invalid = Object.keys(errors).some((k) => k.startsWith('requirements.'))
  const shown = open || invalid
  const stated = summary(v)
  return (
    <fieldset className="fieldset requirements">
      <legend>
        <button type="button" className="btn btn-ghost btn-small" aria-expanded={shown} aria-controls="requirements-fields" onClick={() => setOpen(!shown)}>
          <span aria-hidden="true">{shown ? '▾' : '▸'}</span> Node requirements
        </button>
      </legend>
      <p className="field-hint">{stated || 'Any online node that runs this kind may take the work.'}</p>
      <div id="requirements-fields" hidden={!shown}>
        <div className="row-2">
          <Field id="requirements.resource_type" label="Resource type" error={errors['requirements.resource_type']}>
            <select value={v.resourceType} onChange={(e) => set({ resourceType: e.target.value as RequirementsFormValues['resourceType'] })}>
              <option value="">Any</option>
              {RESOURCE_TYPE_NAMES.map((name) => (
                <option key={name} value={name}>
                  {RESOURCE_TYPES[name].name} (priced per {RESOURCE_TYPES[name].unit})
                </option>
              ))}
            </select>
          </Field>
          <Field id="requirements.regions" label="Regions" error={errors['requirements.regions']} hint="Comma separated, e.g. eu-west, us-east; empty for any">
            <input spellCheck={false} autoComplete="off" value={v.regions} onChange={(e) => set({ regions: e.target.value })} />
          </Field>
        </div>
        <div className="row-2">
          <Field id="requirements.max_price_per_unit" label={`Max price per unit (${SYMBOL})`} error={errors['requirements.max_price_per_unit']} hint="Nodes asking more are passed over">
            <input inputMode="decimal" autoComplete="off" value={v.maxPrice} onChange={(e) => set({ maxPrice: e.target.value })} />
          </Field>
          <Field id="requirements.min_uptime_bps" label="Minimum uptime (%)" error={errors['requirements.min_uptime_bps']} hint="Share of the time since it registered a node was seen online">
            <input inputMode="decimal" autoComplete="off" value={v.minUptime} onChange={(e) => set({ minUptime: e.target.value })} />
          </Field>
        </div>
        <div className="row-2">
          <Field id="requirements.min_verified_power" label="Minimum verified power" error={errors['requirements.min_verified_power']} hint="Proven by proof-of-work solve times (NodeRegistry); empty for any">
            <input inputMode="numeric" autoComplete="off" value={v.minPower} onChange={(e) => set({ minPower: e.target.value })} />
          </Field>
        </div>
      </div>
    </fieldset>
  )
}

/** The requirements stated so far, in a line ("CPU nodes in eu-west, at most 0.5 TASK per unit"). */
function summary(v: RequirementsFormValues): string {
  const parts = [
    v.resourceType ? `${RESOURCE_TYPES[v.resourceType].name} nodes` : '',
    v.regions.trim() ? `in ${v.regions.trim()}` : '',
    v.maxPrice.trim() ? `asking at most ${v.maxPrice.trim()} ${SYMBOL} per unit` : '',
    v.minUptime.trim() ? `online at least ${v.minUptime.trim()}% of the time` : '',
    v.minPower.trim() ? `with a verified power of at least ${v.minPower.trim()}` : '',
  ].filter(Boolean)
  if (parts.length === 0) return ''
  const text = parts.join(', ')
  return `Only ${v.resourceType ? '' : 'nodes '}${text}.`
}
