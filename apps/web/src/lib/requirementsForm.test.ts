import { describe, expect, it } from 'vitest'
import { type RequirementsFormValues, defaultRequirementsForm, requirementsField, requirementsOf } from './requirementsForm.ts'

const typed = (v: Partial<RequirementsFormValues>) => ({ ...defaultRequirementsForm(), ...v })

describe('node requirements in the form', () => {
  it('asks nothing when nothing is typed', () => {
    const errors = {}
    expect(requirementsOf(defaultRequirementsForm(), errors)).toBeUndefined()
    expect(errors).toEqual({})
  })

  it('builds the API’s requirements: regions lowercased and once each, uptime in basis points', () => {
    const errors = {}
    expect(requirementsOf(typed({ resourceType: 'gpu', regions: ' EU-West, us-east,,eu-west ', maxPrice: '0', minUptime: '99.95', minPower: ' 1200 ' }), errors)).toEqual({
      resource_type: 'gpu',
      regions: ['eu-west', 'us-east'],
      max_price_per_unit: '0',
      min_uptime_bps: 9995,
      min_verified_power: '1200',
    })
    expect(errors).toEqual({})
  })

  it('names each bad field with the key the API uses', () => {
    const errors = {}
    expect(requirementsOf(typed({ regions: 'eu west', maxPrice: 'cheap', minUptime: '101', minPower: '1.5' }), errors)).toBeUndefined()
    expect(errors).toEqual({
      'requirements.regions': '“eu west” is not a region name: lowercase letters, digits and dashes, at most 32',
      'requirements.max_price_per_unit': 'A token amount such as 0.5 or 0 (at most 18 decimals)',
      'requirements.min_uptime_bps': 'A percentage from 0 to 100',
      'requirements.min_verified_power': 'A whole number of at most 30 digits',
    })
    const many: Record<string, string> = {}
    requirementsOf(typed({ regions: Array.from({ length: 17 }, (_, i) => `r${i}`).join(',') }), many)
    expect(many['requirements.regions']).toBe('At most 16 regions')
  })

  it('puts an error about one region under the regions input', () => {
    expect(requirementsField('requirements.regions.3')).toBe('requirements.regions')
    expect(requirementsField('requirements.min_uptime_bps')).toBe('requirements.min_uptime_bps')
  })
})
