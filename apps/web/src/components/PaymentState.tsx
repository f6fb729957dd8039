import type { AssignmentView } from '@taskmarket/core'
import { SYMBOL, formatAmount } from '../lib/format.ts'
import { Hex } from './Hex.tsx'

/** Where an assignment's pay is: not due, queued for the next settlement, or paid on chain. */
export function PaymentState({ payment }: { payment: AssignmentView['payment'] }) {
  if (payment.state === 'none') return null
  return (
    <span className={`payment payment-${payment.state}`} data-testid="payment-state">
      {payment.state === 'paid' ? '✓ Paid' : 'Payment queued'} · {formatAmount(payment.amount)} {SYMBOL}
      {payment.tx_hash && (
        <>
          {' '}
          <Hex value={payment.tx_hash} copy={false} />
        </>
      )}
    </span>
  )
}
