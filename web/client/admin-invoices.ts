import type { AdminContext } from './admin-context.js';
import { h, table } from './dom.js';
import { date, money } from './format.js';
import { actionButton } from './forms.js';
import type { Invoice } from './types.js';

const STATUS: Readonly<Record<Invoice['status'], string>> = { open: 'Open', overdue: 'Overdue', paid: 'Paid', void: 'Void' };

/** Invoices with a Pay button on each open or overdue one (the card on file is charged again). */
export function invoicesTable(ctx: AdminContext, caption: string, invoices: readonly Invoice[]): HTMLElement {
  if (invoices.length === 0) return h('p', {}, 'No invoices yet: the first is issued when the app is activated.');
  const rows = invoices.map((invoice) => {
    const payable = invoice.status === 'open' || invoice.status === 'overdue';
    const period = invoice.lines[0] ? `${date(invoice.lines[0].periodStart)} to ${date(invoice.lines[0].periodEnd)}` : '—';
    return [
      date(invoice.issuedAt),
      invoice.lines.map((l) => l.description).join('; ') || '—',
      period,
      money(invoice.total),
      STATUS[invoice.status],
      invoice.status === 'paid' ? `Paid ${date(invoice.paidAt)}` : `Due ${date(invoice.dueAt)}`,
      payable
        ? actionButton(`Pay ${money(invoice.total)}`, async () => {
            const paid = await ctx.api.post<Invoice>(`/api/invoices/${encodeURIComponent(invoice.id)}/pay`);
            ctx.reload(`Invoice of ${date(invoice.issuedAt)} paid: ${money(paid.total)}.`);
          })
        : '',
    ];
  });
  return table(caption, ['Issued', 'For', 'Period', 'Total', 'Status', 'Due / paid', 'Action'], rows);
}
