export type PossibleTypesResultData = {
  possibleTypes: {
    Execution: [
      'CloudShellExecution',
      'DurableWorkflowExecution',
      'PaymentWorkflowExecution',
      'RefoldExecution',
      'ServerlessWorkflowExecution',
    ];
  };
};
const result: PossibleTypesResultData = {
  possibleTypes: {
    Execution: [
      'CloudShellExecution',
      'DurableWorkflowExecution',
      'PaymentWorkflowExecution',
      'RefoldExecution',
      'ServerlessWorkflowExecution',
    ],
  },
};
export default result;
