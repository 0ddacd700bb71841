/** The API's codes for a refused event or input that the machine layer decides (API.md). */
export type RefusalCode =
  | 'event_not_allowed'
  | 'validation_failed'
  | 'unsupported_region'
  | 'agreement_required'
  | 'not_seat_based'
  | 'quantity_out_of_range'
  | 'quantity_below_assigned'
  | 'license_limit_exceeded'
  | 'amount_mismatch'
  | 'token_expired'
  | 'token_used';
