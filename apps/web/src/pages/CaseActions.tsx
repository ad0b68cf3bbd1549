import { CASE_COMMAND_ROLES, type CaseCommandName } from '@wih/vocabulary';
import { useEffect, useRef, useState, type ComponentType } from 'react';
import type { CaseDetail } from '../api/schemas';
import type { Role } from '../auth/roles';
import { Notice } from '../components/status';
import { ClosureForm, HelpPlanForm, HousingForm, MediationForm, VisitForm, type CaseFormProps } from '../forms/caseworker-forms';
import {
  ApprovalForm,
  ExtensionForm,
  LiftRestrictionForm,
  ReassignmentForm,
  RejectionForm,
  RestrictionForm,
} from '../forms/fachstelle-forms';
import { HouseholdDetailsForm } from '../forms/household-forms';
import { labelOf, t } from '../i18n';

interface Action {
  id: string;
  title: string;
  Form: ComponentType<CaseFormProps>;
}

/** While processing is restricted the domain refuses every command but these (409 processing-restricted, decision 0030). */
const WHILE_RESTRICTED: readonly CaseCommandName[] = ['CloseCase', 'LiftRestriction'];

/** The commands a person may give on the case now (role, from the domain's table, and status; the API decides again). */
export function actionsFor(detail: CaseDetail, roles: readonly Role[]): Action[] {
  const f = t.forms;
  const may = (command: CaseCommandName) =>
    CASE_COMMAND_ROLES[command].some((role) => roles.includes(role)) && (!detail.restricted || WHILE_RESTRICTED.includes(command));
  const erased = 'erased' in detail.household;
  const offered: [CaseCommandName, Action, boolean][] = [
    ['ApproveReferral', { id: 'approval', title: f.approval.title, Form: ApprovalForm }, detail.status === 'referred'],
    ['RejectReferral', { id: 'rejection', title: f.rejection.title, Form: RejectionForm }, detail.status === 'referred'],
    ['AgreeHelpPlan', { id: 'plan', title: t.planForm.title, Form: HelpPlanForm }, detail.status === 'active' && !erased],
    ['RecordHomeVisit', { id: 'visit', title: f.visit.title, Form: VisitForm }, detail.status === 'active'],
    ['RecordMediation', { id: 'mediation', title: f.mediation.title, Form: MediationForm }, detail.status === 'active'],
    [
      'RecordHousingSecured',
      { id: 'housing', title: f.housing.title, Form: HousingForm },
      detail.status === 'active' && !detail.housingSecured,
    ],
    ['ExtendHelpPeriod', { id: 'extension', title: f.extension.title, Form: ExtensionForm }, detail.status === 'active'],
    ['ReassignCaseworker', { id: 'reassignment', title: f.reassignment.title, Form: ReassignmentForm }, detail.status === 'active'],
    ['CloseCase', { id: 'closure', title: f.closure.title, Form: ClosureForm }, detail.status === 'active'],
    // On an ended case a correction only (the API also refuses it once a repeat case exists: 409 not-latest-case).
    ['ChangeHouseholdDetails', { id: 'details', title: t.details.title, Form: HouseholdDetailsForm }, !erased],
    ['RestrictProcessing', { id: 'restriction', title: t.restriction.title, Form: RestrictionForm }, !detail.restricted && !erased],
    ['LiftRestriction', { id: 'lift', title: t.restriction.liftTitle, Form: LiftRestrictionForm }, detail.restricted],
  ];
  return offered.filter(([command, , now]) => now && may(command)).map(([, action]) => action);
}

/** Why an approval will be refused (rule 2), read from the referral's entry in the history. */
export function approvalObstacles(referral: Record<string, unknown> | undefined): string[] {
  if (!referral) return [];
  const aid = Array.isArray(referral.existingAid) ? (referral.existingAid as string[]) : [];
  return [
    ...(referral.consentGiven === false ? [t.case.blockedNoConsent] : []),
    ...(aid.length ? [t.case.blockedAid(aid.map((a) => labelOf('existingAid', a)).join(', '))] : []),
  ];
}

interface Props {
  detail: CaseDetail;
  /** The facts of the referral (its history entry), for the Fachstelle's decision. */
  referral?: Record<string, unknown>;
  roles: readonly Role[];
  onDone: (answer: { position: string }) => void;
  onProgress?: (answer: { position: string }) => void;
  onStale: () => Promise<number | undefined>;
  onOpen: () => void;
  /** The form the address names (`#besuch`, case-anchors.ts), opened at once if the person may give it now. */
  initial?: string | null;
}

/** One disclosure button per command; one form open at a time. */
export function CaseActions({ detail, referral, roles, onDone, onProgress, onStale, onOpen, initial }: Props) {
  const actions = actionsFor(detail, roles);
  const [open, setOpen] = useState<string | null>(() => (actions.some((a) => a.id === initial) ? (initial ?? null) : null));
  // Written without a connection: the form closes, and the page says it waits (never "saved").
  const [queued, setQueued] = useState<string | null>(null);
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});
  const formArea = useRef<HTMLDivElement>(null);
  const openedFromAddress = useRef(open !== null);
  useEffect(() => {
    if (!openedFromAddress.current) return;
    // A form opened from the address takes the focus at its first field (and scrolls into view),
    // after the page has focused its heading (a parent's effect runs after this one).
    const frame = requestAnimationFrame(() => formArea.current?.querySelector<HTMLElement>('input, select, textarea')?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  const cancel = (id: string) => {
    setOpen(null);
    buttons.current[id]?.focus(); // back where the person opened the form
  };
  const current = actions.find((a) => a.id === open);
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t.case.actions}</h2>
      {detail.restricted && (
        <Notice kind="warning">{roles.includes('fachstelle') ? t.restriction.noticeFachstelle : t.restriction.notice}</Notice>
      )}
      {actions.length === 0 && <Notice>{detail.status === 'referred' ? t.case.awaitingDecision : t.case.noActions}</Notice>}
      <div className="action-buttons">
        {actions.map((a) => (
          <button
            key={a.id}
            ref={(el) => {
              buttons.current[a.id] = el;
            }}
            type="button"
            className={open === a.id ? '' : 'secondary'}
            aria-expanded={open === a.id}
            aria-controls="action-form"
            onClick={() => {
              onOpen();
              setQueued(null);
              setOpen(open === a.id ? null : a.id);
            }}
          >
            {t.forms.open(a.title)}
          </button>
        ))}
      </div>
      {queued && (
        <Notice kind="warning" focus>
          {queued}
        </Notice>
      )}
      <div id="action-form" ref={formArea}>
        {current?.id === 'approval' && approvalObstacles(referral).length > 0 && (
          <Notice kind="warning">
            {t.case.approvalBlocked}
            <ul>
              {approvalObstacles(referral).map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </Notice>
        )}
        {current && (
          <current.Form
            key={current.id}
            detail={detail}
            onStale={onStale}
            onProgress={onProgress}
            onCancel={() => cancel(current.id)}
            onQueued={(text) => {
              setOpen(null);
              setQueued(text ?? t.outbox.queued);
            }}
            onDone={(answer) => {
              setOpen(null);
              onDone(answer);
            }}
          />
        )}
      </div>
    </section>
  );
}
