import type { Actor, TeacherCourseDetailResponse } from '../../../contracts/courses.js';
import { DataCourseRoutes } from '../../../contracts/routes/data-courses.js';
import {
  Rooms,
  type BroadcastPayload,
  type BroadcastResult,
  type Notification,
  type NotifyPayload,
} from '../../../contracts/realtime.js';
import { badRequest, forbidden } from '../../../shared/app-error.js';
import { ServiceCallError, type ServiceClient } from '../../../shared/service-client.js';
import type { EventManager } from './event-manager.js';
import { broadcastGroup } from './ids.js';
import type { MessagingStore } from './messaging-store.js';
import type { Presence } from './presence.js';
import type { UserDirectory } from './user-directory.js';

/** Notifications, from a socket or from POST /api/notify|broadcast: persist first, then push. */
export class Notifier {
  constructor(
    private readonly store: MessagingStore,
    private readonly events: EventManager,
    private readonly presence: Presence,
    private readonly users: UserDirectory,
    private readonly client: ServiceClient,
  ) {}

  async notify(
    senderId: number | null,
    p: NotifyPayload,
  ): Promise<{ notification: Notification; recipientOnline: boolean }> {
    await this.users.require(p.recipientId);
    const notification = await this.store.createNotification({
      senderId,
      recipientId: p.recipientId,
      type: p.type,
      title: p.title,
      message: p.message,
      metadata: p.metadata ?? {},
    });
    this.events.publish({
      event: 'notification:new',
      room: Rooms.user(p.recipientId),
      data: notification,
      throttle: false,
    });
    const online = await this.presence.areOnline([p.recipientId]);
    return { notification, recipientOnline: online[String(p.recipientId)] === true };
  }

  /**
   * Everyone, one role, or one student group (a group is students only, so it wins over a role);
   * or, with `courseId`, the students of that course as `actor` sees it (a teacher: their own).
   */
  async broadcast(senderId: number | null, p: BroadcastPayload, actor?: Actor): Promise<BroadcastResult> {
    const groupId = broadcastGroup(p);
    if (p.courseId !== undefined) {
      if (groupId !== undefined || p.role !== undefined)
        throw badRequest('courseId addresses one course: give no role or groupId with it');
      if (!actor) throw badRequest('a course broadcast needs a teacher or admin session');
      return this.toCourse(actor, p.courseId, p);
    }
    const notification = await this.store.createNotification({
      senderId,
      ...(p.role ? { role: p.role } : {}),
      ...(groupId ? { groupId } : {}),
      type: p.type,
      title: p.title,
      message: p.message,
      metadata: p.metadata ?? {},
    });
    const room = groupId ? Rooms.group(groupId) : p.role ? Rooms.role(p.role) : null;
    this.events.publish({ event: 'notification:new', room, data: notification, throttle: false });
    return { notification };
  }

  /** One direct notification per enrolled student: unread counts and history work as for any other. */
  private async toCourse(actor: Actor, courseId: number, p: BroadcastPayload): Promise<BroadcastResult> {
    let students: TeacherCourseDetailResponse['students'];
    try {
      ({ students } = await this.client.call(DataCourseRoutes.owned, {
        body: { actor, courseId, withStudents: true },
      }));
    } catch (err) {
      // data_node checks ownership: another teacher's course is refused like a missing one
      if (err instanceof ServiceCallError && (err.statusCode === 403 || err.statusCode === 404))
        throw forbidden('teachers broadcast only to the students of their own courses');
      throw err;
    }
    if (students.length === 0) throw badRequest(`no students are enrolled in course ${courseId}`);
    const sent = await Promise.all(
      students.map((s) =>
        this.store.createNotification({
          senderId: actor.userId,
          recipientId: s.id,
          type: p.type,
          title: p.title,
          message: p.message,
          metadata: { ...(p.metadata ?? {}), courseId },
        }),
      ),
    );
    for (const notification of sent)
      this.events.publish({
        event: 'notification:new',
        room: Rooms.user(notification.recipientId!),
        data: notification,
        throttle: false,
      });
    return { notification: sent[0]!, recipients: sent.length };
  }
}
