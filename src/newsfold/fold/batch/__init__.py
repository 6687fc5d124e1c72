"""The batch fold: a whole corpus linked and placed on an executor's workers, without a store."""
