package io.sextant.api.study;

import io.sextant.api.auth.Role;

/**
 * The columns of a study row the ask/tell hot path needs, read with plain JDBC by {@link StudyRows} (no entity, no
 * persistence context, no dirty checking): who may change it, its state, and the trial numbering and designer state
 * that issuing trials advances. A row read with {@link StudyRows#lockForAsks} is held under the row lock until the
 * transaction ends; {@link StudyRows#saveIssued} writes back what {@link #allocateNumber} and
 * {@link #designerState(String)} changed, bumping the optimistic {@code version} as Hibernate would.
 */
public final class StudyRow implements IssuedStudy {
  private final long id;
  private final StudyState state;
  private final Long ownerId;
  private final Role ownerRole;
  private long nextNumber;
  private String designerState;
  private boolean changed;

  StudyRow(long id, StudyState state, Long ownerId, Role ownerRole, long nextNumber, String designerState) {
    this.id = id;
    this.state = state;
    this.ownerId = ownerId;
    this.ownerRole = ownerRole;
    this.nextNumber = nextNumber;
    this.designerState = designerState;
  }

  public long id() {
    return id;
  }

  @Override
  public long studyId() {
    return id;
  }

  public StudyState state() {
    return state;
  }

  /** As {@link StudyEntity#requireWriteAccess}. */
  public void requireWriteAccess() {
    StudyEntity.requireWriteAccess(id, ownerId, ownerRole);
  }

  public long issuedCount() {
    return nextNumber - 1;
  }

  /** Next trial number; the caller holds the row lock, so numbers are unique and gapless. */
  public long allocateNumber() {
    changed = true;
    return nextNumber++;
  }

  public String designerState() {
    return designerState;
  }

  public void designerState(String state) {
    changed = true;
    this.designerState = state;
  }

  long nextNumber() {
    return nextNumber;
  }

  boolean changed() {
    return changed;
  }

  void saved() {
    changed = false;
  }
}
