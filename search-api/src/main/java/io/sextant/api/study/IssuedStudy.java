package io.sextant.api.study;

/**
 * A locked study row as issuing trials reads and advances it: its trial counter and designer state. The entity
 * (dispatch) and the JDBC row (ask) are both one.
 */
public interface IssuedStudy {
  long studyId();

  long issuedCount();

  long allocateNumber();

  String designerState();

  void designerState(String json);
}
