package dev.warden.approval;

/**
 * Tells approvers about requests. Called on the thread that changed the request; implementations
 * must hand the work off and return at once (a slow webhook must never hold a session or a decision).
 */
public interface ApprovalNotifier {
    ApprovalNotifier NONE = new ApprovalNotifier() {
        @Override
        public void requested(ApprovalSnapshot request) {}

        @Override
        public void decided(ApprovalSnapshot request) {}
    };

    void requested(ApprovalSnapshot request);

    void decided(ApprovalSnapshot request);
}
