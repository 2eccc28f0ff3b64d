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

    /** This notifier, then {@code next}; a failure of one does not keep the other from being told. */
    default ApprovalNotifier andThen(ApprovalNotifier next) {
        ApprovalNotifier first = this;
        return new ApprovalNotifier() {
            @Override
            public void requested(ApprovalSnapshot request) {
                try {
                    first.requested(request);
                } finally {
                    next.requested(request);
                }
            }

            @Override
            public void decided(ApprovalSnapshot request) {
                try {
                    first.decided(request);
                } finally {
                    next.decided(request);
                }
            }
        };
    }
}
