/**
 * The kiosk's opening hours as the page hears them: the host follows the
 * clock (main/kiosk/opening-hours.ts) and says each change on `/api/events`
 * (`event: schedule`), so the page keeps no timer of its own for them. Until
 * the host says otherwise, the kiosk is open: a host without opening hours
 * never says anything.
 */
import type { ScheduleEvent } from '../../main/contract/schedule.js';

/** Whether the screen is black for the night, and when it opens. */
class Opening {
  /** True outside opening hours: the visitor screens are unmounted, the screen is black. */
  closed = $state(false);
  /** The next opening as `HH:MM` on the schedule's clock, while closed and when known. */
  opensAt = $state<string | undefined>(undefined);

  /** Takes one `event: schedule` message from the host. */
  hear(event: ScheduleEvent): void {
    this.closed = event.state === 'scheduled-off';
    this.opensAt = this.closed ? event.nextChangeLocal : undefined;
  }
}

/** The page's one view of the opening hours. */
export const opening = new Opening();
